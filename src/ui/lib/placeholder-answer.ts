// What the playground says when a written function is only a placeholder (`pass`, `return False`,
// a parameter handed back): that it is not a solution, rather than presenting it as one.
import { trivialBody, type AnswerCandidate, type Task, type TrivialBody } from '../../model';

/** The sentence for a placeholder body, in words that say what the model wrote and why it is no solution. */
function placeholderSentence({ kind, statement }: TrivialBody): string {
  switch (kind) {
    case 'empty':
      return 'The model wrote no body: this is not a solution.';
    case 'pass':
    case 'ellipsis':
    case 'docstring':
    case 'not-implemented':
      return `The model wrote only a placeholder body (\`${statement}\`): this is not a solution.`;
    case 'bare-return':
    case 'constant':
      return `The model wrote only \`${statement}\`, the same whatever the input: this is not a solution.`;
    case 'parameter':
      return `The model wrote only \`${statement}\`, which hands a parameter back unchanged: this is not a solution.`;
  }
}

/**
 * The sentence shown beside a generate answer whose body is a placeholder, or null: for the other
 * tasks, for an answer that could not be applied (its problem says why), and for a body that does
 * something.
 */
export function placeholderAnswerMessage(
  task: Task,
  candidate: Pick<AnswerCandidate, 'problem'>,
  text: string,
): string | null {
  if (task !== 'generate' || candidate.problem) return null;
  const placeholder = trivialBody(text);
  return placeholder === null ? null : placeholderSentence(placeholder);
}

/** The answer's headline for generate: says "placeholder" rather than "written" when it is one. */
export function generateHeadline(text: string): string {
  return trivialBody(text) === null ? 'Function body written' : 'Only a placeholder body: not a solution';
}
