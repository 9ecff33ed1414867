// The words of "What the search considered": why a candidate was proposed, and the counts line.
import type { Proposal, SearchSummary } from '../../model';

const count = (n: number) => n.toLocaleString('en');

/** Why a candidate was proposed: its sources, the enumerated edit, the samples' votes. */
export function proposalText(proposal: Proposal, samples: number): string {
  return proposal.by
    .map((source) =>
      source === 'enumeration' && proposal.edit
        ? `enumerated edit (${proposal.edit})`
        : source === 'model sample' && proposal.votes !== undefined && samples > 0
          ? `model sample (${proposal.votes} of ${samples})`
          : source,
    )
    .join(', ');
}

/** The counts of a search in one sentence. */
export function countsText(summary: SearchSummary): string {
  const passes = `${count(summary.passes)} pass${summary.passes === 1 ? '' : 'es'}`;
  const samples = summary.samples > 0 ? `; ${count(summary.samples)} samples drawn` : '';
  return `${count(summary.generated)} candidate texts built, ${count(summary.compiled)} compiled, ${count(summary.ranked)} ranked over ${passes}${samples}.`;
}
