import { z } from 'zod';

const territorySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  region: z.string().min(1),
});

/** The shape of `data/domain.json`: the fixed business vocabulary. */
export const domainVocabularySchema = z.object({
  vendor: z.string().min(1),
  productLines: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string(),
        summary: z.string(),
      }),
    )
    .min(1),
  clouds: z.array(z.string().min(1)).min(1),
  competitors: z.array(z.string().min(1)),
  industries: z.array(z.string().min(1)).min(1),
  segments: z.array(z.string().min(1)).min(1),
  territories: z.array(territorySchema).min(1),
  tenants: z
    .array(z.object({ id: z.string().min(1), name: z.string() }))
    .min(2),
  anchorAccounts: z.array(
    z.object({
      name: z.string().min(1),
      domain: z.string().min(1),
      industry: z.string().min(1),
      segment: z.string().min(1),
      territory: z.string().min(1),
    }),
  ),
});

/** The fixed business vocabulary (vendor, product lines, territories, anchors…). */
export type DomainVocabulary = z.infer<typeof domainVocabularySchema>;

/** Validates parsed `domain.json` content; throws a ZodError on a bad file. */
export function parseDomainVocabulary(raw: unknown): DomainVocabulary {
  return domainVocabularySchema.parse(raw);
}
