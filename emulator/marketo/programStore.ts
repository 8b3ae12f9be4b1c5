// Programs, channels (which define a program's member statuses) and program members
// (api-facts B7). Program ids and channel names are what the SF campaign ⇄ program sync links.

export interface ProgressionStatus {
  name: string;
  step: number;
  success: boolean;
  hidden: boolean;
  description: string | null;
}

export interface Channel {
  id: number;
  name: string;
  applicableProgramType: string;
  progressionStatuses: ProgressionStatus[];
  createdAt: number;
  updatedAt: number;
}

export interface Program {
  id: number;
  name: string;
  description: string;
  type: 'Default' | 'Event' | 'Event with Webinar' | 'Engagement' | 'Email';
  channel: string;
  status: '' | 'on' | 'off' | 'locked' | 'unlocked';
  folderId: number;
  folderName: string;
  createdAt: number;
  updatedAt: number;
  sfdcId?: string;
  sfdcName?: string;
  tags: { tagType: string; tagValue: string }[];
  /** Period costs (programs.md: `costs:[{startDate, cost, note}]`); Marketo's sync sends their sum to the campaign. */
  costs?: { startDate: string; cost: number; note?: string }[];
}

export interface ProgramMember {
  leadId: number;
  programId: number;
  statusName: string;
  reachedSuccess: boolean;
  acquiredBy: boolean;
  membershipDate: number;
  createdAt: number;
  updatedAt: number;
  /** Custom member fields set through members.json. */
  data: Record<string, string | number | boolean | null>;
}

function statuses(rows: [string, number, boolean?][]): ProgressionStatus[] {
  return rows.map(([name, step, success]) => ({
    name,
    step,
    success: Boolean(success),
    hidden: false,
    description: null,
  }));
}

const DEFAULT_CHANNELS: Omit<Channel, 'id' | 'createdAt' | 'updatedAt'>[] = [
  {
    name: 'Webinar',
    applicableProgramType: 'event',
    progressionStatuses: statuses([
      ['Not in Program', 0],
      ['Invited', 10],
      ['Registered', 20],
      ['No Show', 30],
      ['Attended', 30, true],
      ['Attended On-demand', 40, true],
    ]),
  },
  {
    name: 'Tradeshow',
    applicableProgramType: 'event',
    progressionStatuses: statuses([
      ['Not in Program', 0],
      ['Invited', 10],
      ['Registered', 20],
      ['No Show', 30],
      ['Visited Booth', 30, true],
      ['Engaged', 40, true],
    ]),
  },
  {
    name: 'Email Blast',
    applicableProgramType: 'program',
    progressionStatuses: statuses([
      ['Not in Program', 0],
      ['Member', 10],
      ['Influenced', 20],
      ['Engaged', 30, true],
    ]),
  },
  {
    name: 'Content',
    applicableProgramType: 'program',
    progressionStatuses: statuses([
      ['Not in Program', 0],
      ['Member', 10],
      ['Influenced', 20],
      ['Engaged', 30, true],
    ]),
  },
];

const DEFAULT_PROGRAMS: Pick<Program, 'name' | 'type' | 'channel' | 'description'>[] = [
  {
    name: 'Spring Webinar 2026',
    type: 'Event',
    channel: 'Webinar',
    description: 'Quarterly product webinar',
  },
  { name: 'Monthly Newsletter', type: 'Email', channel: 'Email Blast', description: 'Newsletter sends' },
  { name: 'Trade Show Booth', type: 'Event', channel: 'Tradeshow', description: 'Booth visitors' },
  { name: 'Whitepaper Download', type: 'Default', channel: 'Content', description: 'Gated content' },
];

export class ProgramStore {
  readonly channels = new Map<string, Channel>();
  readonly programs = new Map<number, Program>();
  readonly members = new Map<number, Map<number, ProgramMember>>();
  private nextProgramId = 1000;

  constructor(private readonly now: () => number) {
    this.clear();
  }

  clear(): void {
    this.channels.clear();
    this.programs.clear();
    this.members.clear();
    this.nextProgramId = 1000;
    const now = this.now();
    // Each instance its own copies: two emulators in one process are two Marketo instances, and a
    // status renamed in one (control.renameProgressionStatus) must not rename it in the other.
    DEFAULT_CHANNELS.forEach((channel, i) => {
      const progressionStatuses = channel.progressionStatuses.map((s) => ({ ...s }));
      this.channels.set(channel.name, {
        ...channel,
        progressionStatuses,
        id: i + 1,
        createdAt: now,
        updatedAt: now,
      });
    });
    for (const program of DEFAULT_PROGRAMS) this.create(program);
  }

  create(input: Pick<Program, 'name' | 'type' | 'channel'> & Partial<Program>): Program {
    if (!this.channels.has(input.channel)) throw new Error(`Unknown channel '${input.channel}'`);
    const now = this.now();
    const program: Program = {
      description: '',
      status: input.type === 'Engagement' ? 'off' : '',
      folderId: 12,
      folderName: 'Marketing Activities',
      tags: [],
      ...input,
      id: input.id ?? this.nextProgramId++,
      createdAt: input.createdAt ?? now,
      updatedAt: input.updatedAt ?? now,
    };
    if (program.id >= this.nextProgramId) this.nextProgramId = program.id + 1;
    this.programs.set(program.id, program);
    this.members.set(program.id, new Map());
    return program;
  }

  byName(name: string): Program | undefined {
    for (const program of this.programs.values()) if (program.name === name) return program;
    return undefined;
  }

  statusesOf(program: Program): ProgressionStatus[] {
    return this.channels.get(program.channel)?.progressionStatuses ?? [];
  }

  membersOf(programId: number): Map<number, ProgramMember> {
    let map = this.members.get(programId);
    if (!map) {
      map = new Map();
      this.members.set(programId, map);
    }
    return map;
  }

  removeLead(leadId: number): void {
    for (const map of this.members.values()) map.delete(leadId);
  }

  /** Moves a loser's memberships to the winner where the winner is not yet a member. */
  mergeLead(winnerId: number, loserId: number): void {
    for (const map of this.members.values()) {
      const member = map.get(loserId);
      if (!member) continue;
      map.delete(loserId);
      if (!map.has(winnerId)) map.set(winnerId, { ...member, leadId: winnerId });
    }
  }
}
