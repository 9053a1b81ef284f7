/** A validation message shown at its field. */
export function FieldError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="field-error" role="alert">
      {message}
    </span>
  );
}
