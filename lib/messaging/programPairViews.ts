// What the options page gets to choose campaign ⇄ program pairs from (lib/connections/programPairChoices.ts).

export interface CampaignChoice {
  id: string;
  name: string;
  type: string | null;
  /** Member status labels, in SortOrder. */
  statuses: string[];
}

export interface ProgramChoice {
  id: number;
  name: string;
  channel: string;
  /** The channel's progression statuses, in step order ("Not in Program" first). */
  statuses: string[];
  /** The campaign Marketo's own sync linked it to, when it says so. */
  sfdcId?: string;
}

export interface ProgramPairChoicesView {
  campaigns: CampaignChoice[];
  programs: ProgramChoice[];
  /** Why one side could not be read (the other side's choices still come). */
  error?: string;
}
