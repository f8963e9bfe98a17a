// A row of toggle chips for a multi-value filter, each with its count.
import { formatCount, humanize } from '../format.ts';

export function Chips(props: {
  label: string;
  options: readonly string[];
  selected: readonly string[];
  counts?: Record<string, number>;
  onChange: (selected: string[]) => void;
}) {
  const { label, options, selected, counts, onChange } = props;
  const toggle = (option: string) =>
    onChange(
      selected.includes(option) ? selected.filter((value) => value !== option) : [...selected, option],
    );
  return (
    <fieldset className="chips">
      <legend>{label}</legend>
      {options.map((option) => (
        <button
          type="button"
          key={option}
          className={selected.includes(option) ? 'chip on' : 'chip'}
          aria-pressed={selected.includes(option)}
          onClick={() => toggle(option)}
        >
          {humanize(option)}
          {counts ? <span className="chip-count">{formatCount(counts[option] ?? 0)}</span> : null}
        </button>
      ))}
    </fieldset>
  );
}
