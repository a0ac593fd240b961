import { type FormEvent, useState } from 'react';
import { ApiError, api, type NewLock, type ZigbeeDevices } from './api.js';
import { MODEL_CHOICES } from './models.js';
import { busyProps, Choices, ModelSelect, Notice, useAction } from './ui.js';

type Connection = 'sim' | 'manual' | 'zwave-server' | 'zigbee2mqtt';

const CONNECTIONS: readonly (readonly [Connection, string])[] = [
  ['manual', 'Keypad only: I type changes in at the door, with a guide'],
  ['zwave-server', 'Z-Wave, through Home Assistant or Z-Wave JS UI'],
  ['zigbee2mqtt', 'Zigbee, through Zigbee2MQTT'],
  ['sim', 'Simulated: try Keyward out'],
];

/** What GET /api/v1/zwave/nodes answers, as this form uses it. */
interface ZWaveNode {
  nodeId: number;
  label: string | null;
  candidates: string[];
  match: 'exact' | 'ambiguous' | 'unknown';
  ready: boolean;
  codeCount: number;
  lockId: string | null;
}

const modelName = (id: string) => {
  const m = MODEL_CHOICES.find((x) => x.id === id);
  return m ? m.name : id;
};
/** One line per lock the server reports: the model as far as it is known, its codes, its node. */
function nodeText(n: ZWaveNode): string {
  const model =
    n.match === 'exact'
      ? `Kwikset ${modelName(n.candidates[0]!)}`
      : n.match === 'ambiguous'
        ? `Kwikset ${n.candidates.slice(0, -1).join(', ')} or ${n.candidates.at(-1)} (you say which)`
        : 'A Kwikset lock Keyward does not recognise';
  const codes = n.ready ? codesWord(n.codeCount) : 'codes still being read';
  return `${model} · ${codes} · node ${n.nodeId}${n.lockId ? ' · already added' : ''}`;
}

const codesWord = (n: number) => (n === 0 ? 'no codes' : n === 1 ? '1 code' : `${n} codes`);

/**
 * Adding a lock the way a host thinks of it: how it is connected first; a radio lock is then
 * picked from what its network reports (model matched, codes counted), never typed in as a node.
 */
export function AddLock({ onAdded }: { onAdded: () => void }) {
  const [connection, setConnection] = useState<Connection | ''>('');
  return (
    <section aria-labelledby="add-lock-h" className="panel">
      <h2 id="add-lock-h">Add a lock</h2>
      <fieldset>
        <legend>How is it connected?</legend>
        <Choices name="connection" options={CONNECTIONS} value={connection} onChange={setConnection} />
      </fieldset>
      {(connection === 'sim' || connection === 'manual') && <ByModel driver={connection} onAdded={onAdded} />}
      {connection === 'zwave-server' && <ZWaveAdd onAdded={onAdded} />}
      {connection === 'zigbee2mqtt' && <ZigbeeAdd onAdded={onAdded} />}
    </section>
  );
}

function ByModel({ driver, onAdded }: { driver: 'sim' | 'manual'; onAdded: () => void }) {
  const [name, setName] = useState('');
  const [model, setModel] = useState('264');
  const action = useAction();
  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      const lock = await api<NewLock>('POST', '/api/v1/locks', { name, model, driver });
      setName('');
      onAdded();
      return `Added ${lock.name}.`;
    });
  }
  return (
    <form onSubmit={submit} className="grid-form">
      <label>
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={200}
          placeholder="Front door"
        />
      </label>
      <ModelSelect value={model} onChange={setModel} />
      <button type="submit" {...busyProps(action.busy)}>
        Add lock
      </button>
      <Notice note={action.note} />
    </form>
  );
}

function ZWaveAdd({ onAdded }: { onAdded: () => void }) {
  const [url, setUrl] = useState('ws://homeassistant.local:3000');
  const [nodes, setNodes] = useState<ZWaveNode[] | null>(null);
  const [tested, setTested] = useState('');
  const [chosen, setChosen] = useState<number | null>(null);
  const [model, setModel] = useState('');
  const [name, setName] = useState('');
  const test = useAction();
  const add = useAction();

  function find(e: FormEvent) {
    e.preventDefault();
    setNodes(null);
    setChosen(null);
    void test.run(async () => {
      let found: { nodes: ZWaveNode[] };
      try {
        found = await api<{ nodes: ZWaveNode[] }>(
          'GET',
          `/api/v1/zwave/nodes?url=${encodeURIComponent(url)}`,
        );
      } catch (e) {
        // The server's reason is for the log; the host needs to know what to check.
        if (e instanceof ApiError && e.status >= 500)
          throw new Error(
            `The Z-Wave server at ${url} does not answer. Check the address, and that Z-Wave JS (in Home Assistant or Z-Wave JS UI) is running with its WebSocket server on.`,
          );
        throw e;
      }
      setNodes(found.nodes);
      setTested(url);
      const free = found.nodes.filter((n) => !n.lockId).length;
      return found.nodes.length === 0
        ? `The Z-Wave server at ${url} answers, but it has no Kwikset lock.`
        : `The Z-Wave server at ${url} answers: ${found.nodes.length} Kwikset ${found.nodes.length === 1 ? 'lock' : 'locks'}, ${free} not added yet.`;
    });
  }

  const node = nodes?.find((n) => n.nodeId === chosen);
  function choose(n: ZWaveNode) {
    setChosen(n.nodeId);
    setModel(n.candidates[0] ?? '');
    setName('');
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!node) return;
    void add.run(async () => {
      const out = await api<{ locks: { name: string; adopted: unknown[] }[] }>(
        'POST',
        '/api/v1/zwave/adopt',
        {
          url: tested,
          nodes: [{ nodeId: node.nodeId, ...(model ? { model } : {}), ...(name ? { name } : {}) }],
        },
      );
      onAdded();
      setNodes(null);
      const added = out.locks[0];
      return added
        ? `Added ${added.name}. ${added.adopted.length > 0 ? `${codesWord(added.adopted.length)} already on it ${added.adopted.length === 1 ? 'is' : 'are'} kept.` : ''}`
        : 'Added.';
    });
  }

  return (
    <>
      <form onSubmit={find} className="grid-form">
        <label>
          Z-Wave server address
          <input value={url} onChange={(e) => setUrl(e.target.value)} required inputMode="url" />
        </label>
        <button type="submit" {...busyProps(test.busy)}>
          {test.busy ? 'Asking the server…' : 'Test address and find locks'}
        </button>
      </form>
      <Notice note={test.note} />
      {nodes && nodes.length > 0 && (
        <form onSubmit={submit} className="grid-form">
          <fieldset className="row">
            <legend>Which lock?</legend>
            {nodes.map((n) => (
              <label key={n.nodeId} className="inline block">
                <input
                  type="radio"
                  name="zwave-node"
                  disabled={n.lockId !== null}
                  checked={chosen === n.nodeId}
                  onChange={() => choose(n)}
                />
                {nodeText(n)}
              </label>
            ))}
          </fieldset>
          {node && node.candidates.length > 1 && (
            <label>
              Which model is it?
              <select value={model} onChange={(e) => setModel(e.target.value)}>
                {node.candidates.map((c) => (
                  <option key={c} value={c}>
                    {modelName(c)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {node && (
            <label>
              Name
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={200}
                placeholder="Front door"
              />
            </label>
          )}
          <button type="submit" {...busyProps(add.busy)} disabled={!node}>
            Add this lock
          </button>
        </form>
      )}
      <Notice note={add.note} />
    </>
  );
}

function ZigbeeAdd({ onAdded }: { onAdded: () => void }) {
  const [baseTopic, setBaseTopic] = useState('zigbee2mqtt');
  const [found, setFound] = useState<ZigbeeDevices['devices'] | null>(null);
  const [chosen, setChosen] = useState('');
  const [model, setModel] = useState('');
  const [name, setName] = useState('');
  const look = useAction();
  const add = useAction();

  function find(e: FormEvent) {
    e.preventDefault();
    setFound(null);
    setChosen('');
    void look.run(async () => {
      const out = await api<ZigbeeDevices>(
        'GET',
        `/api/v1/zigbee/devices?baseTopic=${encodeURIComponent(baseTopic)}`,
      );
      setFound(out.devices);
      return out.devices.length === 0
        ? 'Zigbee2MQTT answers, but it knows no Kwikset keypad lock.'
        : `Zigbee2MQTT knows ${out.devices.length} Kwikset ${out.devices.length === 1 ? 'lock' : 'locks'}.`;
    });
  }
  const device = found?.find((d) => d.device === chosen);
  function choose(d: ZigbeeDevices['devices'][number]) {
    setChosen(d.device);
    setModel(d.candidates[0] ?? '');
    setName(d.device.replace(/[_-]+/g, ' '));
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!device) return;
    void add.run(async () => {
      const lock = await api<NewLock>('POST', '/api/v1/locks', {
        name,
        model,
        driver: 'zigbee2mqtt',
        device: device.device,
        baseTopic,
      });
      onAdded();
      setFound(null);
      return `Added ${lock.name}. Codes already on it are kept and shown as not put there by Keyward.`;
    });
  }

  return (
    <>
      <form onSubmit={find} className="grid-form">
        <label>
          Zigbee2MQTT base topic
          <input value={baseTopic} onChange={(e) => setBaseTopic(e.target.value)} required />
        </label>
        <button type="submit" {...busyProps(look.busy)}>
          {look.busy ? 'Asking Zigbee2MQTT…' : 'Find Zigbee locks'}
        </button>
      </form>
      <Notice note={look.note} />
      {found && found.length > 0 && (
        <form onSubmit={submit} className="grid-form">
          <fieldset className="row">
            <legend>Which lock?</legend>
            {found.map((d) => (
              <label key={d.device} className="inline block">
                <input
                  type="radio"
                  name="zigbee-device"
                  disabled={d.lockId !== null || !d.codes}
                  checked={chosen === d.device}
                  onChange={() => choose(d)}
                />
                {d.device} · {d.exact ? `model ${modelName(d.candidates[0]!)}` : 'model to confirm'} ·{' '}
                {!d.codes
                  ? 'cannot hold codes'
                  : d.exposePin
                    ? 'codes can be checked'
                    : 'codes cannot be read back (turn on expose_pin in Zigbee2MQTT)'}
                {d.lockId && ' · already added'}
              </label>
            ))}
          </fieldset>
          {device && device.candidates.length > 1 && (
            <label>
              Which model is it?
              <select value={model} onChange={(e) => setModel(e.target.value)}>
                {device.candidates.map((c) => (
                  <option key={c} value={c}>
                    {modelName(c)}
                  </option>
                ))}
              </select>
            </label>
          )}
          {device && (
            <label>
              Name
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
            </label>
          )}
          <button type="submit" {...busyProps(add.busy)} disabled={!device}>
            Add this lock
          </button>
        </form>
      )}
      <Notice note={add.note} />
    </>
  );
}
