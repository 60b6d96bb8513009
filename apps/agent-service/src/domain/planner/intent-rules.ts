import {
  findField,
  mentionsForecastCategory,
  findStage,
} from './crm-values.js';
import { parseAmount, parsePercent } from './amounts.js';
import { hasDatePhrase } from './dates.js';

/**
 * Intents decided by rules rather than similarity, because a miss is
 * cheaper than a wrong guess there: meeting summaries (long pasted notes
 * would otherwise match anything), emails, proposals and field updates.
 * Returns the tool name, or undefined when no rule applies.
 */
export function ruleIntent(message: string): string | undefined {
  const text = message.toLowerCase();
  if (
    /\b(summari[sz]e|recap|sum up)\b/.test(text) &&
    /\b(meeting|call|notes|transcript|conversation)\b/.test(text)
  ) {
    return 'summarize_meeting';
  }
  if (
    /\b(draft|write|compose|prepare)\b[^.?!]*\b(e-?mail|message|note)\b/.test(
      text,
    ) ||
    /^\s*(please\s+)?e-?mail\b/.test(text)
  ) {
    return 'draft_email';
  }
  if (
    /\b(create|draft|build|generate|prepare|write|make|put together)\b[^.?!]*\bproposal\b/.test(
      text,
    ) &&
    !/\b(to|stage( of)?|into|as)\s+proposal\b/.test(text)
  ) {
    return 'create_proposal';
  }
  if (isUpdateRequest(message)) return 'update_crm_field';
  return undefined;
}

/** "move/set/change/update/push … to …" with a field or a recognisable value. */
function isUpdateRequest(message: string): boolean {
  const text = message.toLowerCase();
  if (
    !/\b(move|moved|set|change|update|push|pull|mark|bump|advance|slip|put)\b/.test(
      text,
    )
  )
    return false;
  if (/\bset up\b/.test(text) && !/\bto\b/.test(text)) return false;
  return (
    findField(message) !== undefined ||
    findStage(message) !== undefined ||
    mentionsForecastCategory(message) ||
    (/\b(to|at)\b/.test(text) &&
      (parseAmount(message) !== undefined ||
        parsePercent(message) !== undefined ||
        hasDatePhrase(message)))
  );
}
