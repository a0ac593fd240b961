import type { ModelProfile } from '../../src/core/catalog/types.js';
import type { Input, TwinState } from '../../src/core/twin/index.js';

/**
 * The practice keypad's "inside the lock" controls: the Program button (pressed or held), the
 * batteries, the programming switch where the model has one, and waiting (the step's own wait
 * when the guide asks for one).
 */
export function InsideLock({
  model,
  twin,
  held,
  next,
  send,
}: {
  model: ModelProfile;
  twin: TwinState;
  held: boolean;
  next: Input | undefined;
  send: (input: Input) => void;
}) {
  return (
    <fieldset className="inside">
      <legend>Inside the lock</legend>
      <button
        type="button"
        data-input={JSON.stringify({ press: 'program' })}
        onClick={() => send({ press: 'program' })}
      >
        Program button
      </button>
      <button
        type="button"
        data-input={JSON.stringify(held ? { up: 'program' } : { down: 'program' })}
        aria-pressed={held}
        onClick={() => send(held ? { up: 'program' } : { down: 'program' })}
      >
        {held ? 'Release Program' : 'Hold Program'}
      </button>
      <button
        type="button"
        data-input={JSON.stringify({ batteries: 'remove' })}
        onClick={() => send({ batteries: 'remove' })}
      >
        Remove batteries
      </button>
      <button
        type="button"
        data-input={JSON.stringify({ batteries: 'insert' })}
        onClick={() => send({ batteries: 'insert' })}
      >
        Insert batteries
      </button>
      {model.quirks.programmingSwitch && (
        <button
          type="button"
          data-input={JSON.stringify({ switch: 'programming', on: !twin.lock.programmingSwitch })}
          onClick={() => send({ switch: 'programming', on: !twin.lock.programmingSwitch })}
        >
          Programming switch {twin.lock.programmingSwitch ? 'off' : 'on'}
        </button>
      )}
      {next && 'wait' in next ? (
        <button
          type="button"
          className="primary"
          data-input={JSON.stringify(next)}
          onClick={() => send(next)}
        >
          Wait {next.wait / 1000} s
        </button>
      ) : (
        <button
          type="button"
          data-input={JSON.stringify({ wait: 10000 })}
          onClick={() => send({ wait: 10000 })}
        >
          Wait 10 s
        </button>
      )}
    </fieldset>
  );
}
