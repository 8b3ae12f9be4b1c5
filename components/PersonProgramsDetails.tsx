import type { PersonProgramView } from '../lib/messaging/views';

/** A Lead or Contact page's Programs section (issue 17): each linked program it is a member of. */
export function PersonProgramsDetails({ programs }: { programs: PersonProgramView[] }) {
  return (
    <section class="person-programs" aria-label="Marketo programs">
      <h4>Programs</h4>
      <ul>
        {programs.map((p) => (
          <li key={p.programId}>
            {p.campaignName}: {p.campaignStatus ?? '?'} ⇄ {p.programName}: {p.programStatus ?? '?'}
          </li>
        ))}
      </ul>
    </section>
  );
}
