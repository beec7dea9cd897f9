// Before: an export job with async.auto. Dependencies are listed as strings in front of the
// task, and each task reads what it needs from one untyped `results` object.
// #region docs
import { auto } from 'async';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the job with async.auto and returns what it mailed. */
export async function main(log: (line: string) => void = console.log): Promise<string> {
  const userId = 7;
  const results = await auto<{ getData: string[]; makeFolder: string; writeFile: string; emailLink: string }>({
    getData: async () => {
      await sleep(20);
      return ['row 1', 'row 2'];
    },
    makeFolder: async () => `/exports/${userId}`,
    writeFile: [
      'getData',
      'makeFolder',
      async (results: any) => {
        await sleep(5);
        return `${results.makeFolder}/data.csv (${results.getData.length} rows)`;
      },
    ],
    emailLink: ['writeFile', async (results: any) => `mailed ${results.writeFile} to user ${userId}`],
  });
  log(results.emailLink);
  return results.emailLink;
}
// #endregion docs

if (require.main === module) void main();
