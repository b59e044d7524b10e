import type { ValueType } from '../api/kv-client.js';
import { parseValue } from './value-codec.js';

interface Props {
  id: string;
  type: ValueType;
  text: string;
  onText: (text: string) => void;
}

/** The value's input for its type, validated as the user types (JSON, number, base64). */
export function ValueEditor({ id, type, text, onText }: Props) {
  const parsed = parseValue(type, text);
  const errorId = `${id}-error`;
  const common = {
    id,
    'aria-invalid': !parsed.ok,
    'aria-describedby': errorId,
  };
  return (
    <div class="value-editor">
      {type === 'BOOLEAN' ? (
        <select {...common} value={text} onChange={(event) => onText(event.currentTarget.value)}>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : type === 'NUMBER' ? (
        <input
          {...common}
          inputMode="decimal"
          value={text}
          onInput={(event) => onText(event.currentTarget.value)}
        />
      ) : (
        <textarea
          {...common}
          rows={type === 'JSON' ? 10 : 4}
          spellcheck={false}
          value={text}
          onInput={(event) => onText(event.currentTarget.value)}
        />
      )}
      <span id={errorId} class="field-error" aria-live="polite">
        {parsed.ok ? '' : parsed.message}
      </span>
    </div>
  );
}
