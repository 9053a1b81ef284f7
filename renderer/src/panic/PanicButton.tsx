/** Always in the header. One click flattens everything: no dialog, by design. */
export function PanicButton({ onPanic, running }: { onPanic: () => void; running: boolean }) {
  return (
    <button
      type="button"
      data-testid="panic-button"
      className="panic-button"
      onClick={onPanic}
      title="Cancel every order and close every position now (Ctrl+Shift+X)"
      aria-busy={running}
    >
      {running ? 'FLATTENING…' : 'FLATTEN ALL'}
      <kbd>Ctrl+Shift+X</kbd>
    </button>
  );
}
