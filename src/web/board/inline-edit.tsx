import { useEffect, useRef, useState } from 'react';
import { LIMITS } from '../../domain/index.js';

interface InlineEditProps {
  value: string;
  label: string;
  placeholder?: string;
  testId?: string;
  /** `keepGoing`: submitted with Enter (the user may type another), not by leaving the field. */
  onSubmit(value: string, keepGoing: boolean): void;
  onCancel(): void;
}

/** A small text form: Enter saves, Escape cancels, leaving the field saves what was typed. */
export function InlineEdit({ value, label, placeholder, testId, onSubmit, onCancel }: InlineEditProps) {
  const [text, setText] = useState(value);
  const inputRef = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);
  const finish = (save: boolean, keepGoing = false): void => {
    if (done.current) return;
    done.current = true;
    const trimmed = text.trim();
    if (save && trimmed && trimmed !== value) onSubmit(trimmed, keepGoing);
    else onCancel();
  };
  return (
    <form
      className="inline-edit"
      onSubmit={(event) => {
        event.preventDefault();
        finish(true, true);
      }}
    >
      <input
        ref={inputRef}
        aria-label={label}
        placeholder={placeholder}
        value={text}
        maxLength={LIMITS.titleLength}
        data-testid={testId}
        onChange={(event) => setText(event.target.value)}
        onBlur={() => finish(true)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            finish(false);
          }
        }}
      />
    </form>
  );
}
