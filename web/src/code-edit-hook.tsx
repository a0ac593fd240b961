import { EditCode } from './CodeForm.js';

/** The edit form for one code, opened from the lock page's "Edit" button. */
export function CodeEditHook({
  credentialId,
  onDone,
  onClose,
}: {
  credentialId: string;
  name: string;
  lockId: string;
  onDone: () => void;
  onClose: () => void;
}) {
  return (
    <EditCode
      credentialId={credentialId}
      onCancel={onClose}
      onDone={() => {
        onDone();
        onClose();
      }}
    />
  );
}
