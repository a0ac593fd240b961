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
  const hold: Input = held ? { up: 'program' } : { down: 'program' };
  const wait: Input = next && 'wait' in next ? next : { wait: 10000 };
  return (
    <fieldset className="inside">
      <legend>Inside the lock</legend>
      <InputButton input={{ press: 'program' }} send={send}>
        Program button
      </InputButton>
      <InputButton input={hold} send={send} pressed={held}>
        {held ? 'Release Program' : 'Hold Program'}
      </InputButton>
      <InputButton input={{ batteries: 'remove' }} send={send}>
        Remove batteries
      </InputButton>
      <InputButton input={{ batteries: 'insert' }} send={send}>
        Insert batteries
      </InputButton>
      {model.quirks.programmingSwitch && (
        <InputButton input={{ switch: 'programming', on: !twin.lock.programmingSwitch }} send={send}>
          Programming switch {twin.lock.programmingSwitch ? 'off' : 'on'}
        </InputButton>
      )}
      <InputButton input={wait} send={send} primary={wait === next}>
        Wait {'wait' in wait ? wait.wait / 1000 : 10} s
      </InputButton>
    </fieldset>
  );
}

/** A button that sends one twin input, naming it in data-input for the tests and the guide. */
function InputButton({
  input,
  send,
  pressed,
  primary,
  children,
}: {
  input: Input;
  send: (input: Input) => void;
  pressed?: boolean;
  primary?: boolean;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      className={primary ? 'primary' : undefined}
      data-input={JSON.stringify(input)}
      aria-pressed={pressed}
      onClick={() => send(input)}
    >
      {children}
    </button>
  );
}
