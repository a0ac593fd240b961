/**
 * A failure on a Z-Wave network that concerns no single lock (a malformed message from a
 * zwave-js-server, a network that would not close). Failures that concern a lock are that
 * lock driver's `fault` events instead.
 */
export interface ZWaveFault {
  at: number;
  /** The serial port or the server's address. */
  target: string;
  /** What Keyward was doing, e.g. "closing the Z-Wave network". */
  during: string;
  /** What happened; never a code. */
  message: string;
}

export type FaultListener = (fault: ZWaveFault) => void;

/** Where such faults go when the program gave no listener: standard error, so none is lost. */
export const faultsToStderr: FaultListener = (fault) => {
  console.error(`keyward: Z-Wave ${fault.target}: ${fault.during}: ${fault.message}`);
};
