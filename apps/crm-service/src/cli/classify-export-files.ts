import { readExportFile } from '../domain/import/raw-export.js';

/** Export files sorted by the Salesforce object their rows describe. */
export interface ClassifiedExports {
  accounts: string[];
  opportunities: string[];
}

// Columns only an Opportunity export carries; Account exports have none of them.
const OPPORTUNITY_COLUMNS = ['StageName', 'CloseDate', 'AccountId'];

/**
 * Recognises each file as Account or Opportunity rows by its columns, so
 * `npm run import -- a.csv b.json` needs no flags.
 * @throws TypeError when a file has no rows to recognise it by.
 */
export async function classifyExportFiles(
  files: readonly string[],
): Promise<ClassifiedExports> {
  const result: ClassifiedExports = { accounts: [], opportunities: [] };
  for (const file of files) {
    const rows = await readExportFile(file);
    const columns = new Set(rows.flatMap((row) => Object.keys(row.fields)));
    if (rows.length === 0) throw new TypeError(`${file}: no rows to import`);
    if (OPPORTUNITY_COLUMNS.some((column) => columns.has(column)))
      result.opportunities.push(file);
    else result.accounts.push(file);
  }
  return result;
}
