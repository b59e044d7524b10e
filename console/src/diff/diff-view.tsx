import { lineDiff } from './line-diff.js';

interface Props {
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
}

const MARK = { same: ' ', added: '+', removed: '-' } as const;

/** A unified line diff; additions and removals are marked in text, not by colour alone. */
export function DiffView({ before, after, beforeLabel, afterLabel }: Props) {
  const lines = lineDiff(before, after);
  return (
    <figure class="diff">
      <figcaption>
        <span class="removed">- {beforeLabel}</span> <span class="added">+ {afterLabel}</span>
      </figcaption>
      <pre tabIndex={0} aria-label={`Differences between ${beforeLabel} and ${afterLabel}`}>
        {lines.map((line, index) => (
          <div key={index} class={line.kind}>
            {MARK[line.kind]} {line.text}
          </div>
        ))}
      </pre>
    </figure>
  );
}
