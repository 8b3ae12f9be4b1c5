// The Programs section of the record panel on Lead and Contact pages (issue 17): the person's
// membership in each linked program with the status both sides agreed on, as the program status
// and the campaign status it stands for. From the log only (the panel must show within 150 ms): the
// agreed status is kept hashed under `program:<id>:<leadId>` (lib/sync/operations/programs/pairs.ts),
// and a status name is recovered from the few statuses of the pair's channel.
import type { LogDatabase } from '../db/logPort';
import { loadStates } from '../db/syncState';
import type { PersonProgramView } from '../messaging/views';
import type { SyncSettings } from '../settings/schema';
import { hashText } from '../sync/hash';
import { configuredPairs, programMemberKey, salesforceStatusOf } from '../sync/operations/programs/pairs';

export async function personProgramsView(
  db: LogDatabase,
  settings: SyncSettings,
  marketoId: number,
): Promise<PersonProgramView[]> {
  const pairs = configuredPairs(settings);
  if (pairs.length === 0) return [];
  const states = await loadStates(
    db,
    pairs.map((p) => programMemberKey(p.programId, marketoId)),
  );
  return pairs.flatMap((pair): PersonProgramView[] => {
    const hash = states.get(programMemberKey(pair.programId, marketoId))?.hashes.Status;
    if (hash === undefined) return [];
    const programStatus = pair.programStatuses.find((s) => hashText(s) === hash);
    const campaignStatus = programStatus && salesforceStatusOf(pair, programStatus, pair.campaignStatuses);
    return [
      {
        campaignId: pair.campaignId,
        campaignName: pair.campaignName || pair.campaignId,
        programId: pair.programId,
        programName: pair.programName || `Program ${pair.programId}`,
        ...(programStatus && { programStatus }),
        ...(campaignStatus && { campaignStatus }),
      },
    ];
  });
}
