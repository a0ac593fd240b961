import { href } from './route.js';

/**
 * Where the edit form for one code opens, from the lock page's "Edit" button. Helper "edit"
 * (issue 15 §1) replaces the body with its form; until then it points to People & codes.
 */
export function CodeEditHook({
  credentialId,
  name,
  onClose,
}: {
  credentialId: string;
  name: string;
  lockId: string;
  onDone: () => void;
  onClose: () => void;
}) {
  return (
    <p className="actions" data-edit={credentialId}>
      Change {name}'s dates or locks on <a href={href('people')}>People &amp; codes</a>.{' '}
      <button type="button" className="small" onClick={onClose}>
        Close
      </button>
    </p>
  );
}
