import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: ReactNode;
  /** A line under the field that says what it takes. */
  hint?: ReactNode;
  /** The server's refusal of this field, in words: shown under it, and announced. */
  error?: string | undefined;
  testId?: string;
}

/** A labelled input with its hint and its error, tied together for screen readers. */
export function TextField({ label, hint, error, testId, className, ...input }: TextFieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        className="text-input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        data-testid={testId}
      />
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} error={error} testId={testId ? `${testId}-error` : undefined} />
    </div>
  );
}

/** An error next to the control it is about (role=alert: read out when it appears). */
export function FieldError({
  id,
  error,
  testId,
}: {
  id?: string;
  error: string | undefined;
  testId?: string | undefined;
}) {
  if (!error) return null;
  return (
    <p className="field-error" id={id} role="alert" data-testid={testId}>
      {error}
    </p>
  );
}

/** Copies `text` to the clipboard, saying so for a moment; selects it where the clipboard is refused. */
export async function copyText(text: string, fallback?: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    fallback?.focus();
    fallback?.select();
    return false;
  }
}
