/**
 * The engine's typed errors. Each keeps the error that caused it (`cause`) and a stable `code`, so the CLI and the
 * archiver/restorer decide by class or code, never by message. No Node-only import: slot-header.ts (read by the
 * server too) throws these.
 */
export abstract class EngineError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Bytes that fail authentication or do not parse: a flipped bit, a truncated object, a blob whose plaintext does not
 * hash to its id. `object` names what was being read (`blob 3fa1…`, `pack 9c0e…`, `index …`, `snapshot …`).
 */
export class CorruptDataError extends EngineError {
  readonly code = 'CorruptData';
  constructor(
    readonly object: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${object}: ${message}`, options);
  }
}

/** An object written under another master key (its key fingerprint is not ours): not corruption, a wrong key file. */
export class WrongKeyError extends EngineError {
  readonly code = 'WrongKey';
  constructor(
    readonly object: string,
    readonly expectedFingerprint: string,
    readonly actualFingerprint: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${object} was written with key ${actualFingerprint}, this repository key is ${expectedFingerprint}`,
      options,
    );
  }
}

/** The recovery passphrase does not open the wrapped key (scrypt → AES-GCM authentication failed). */
export class WrongPassphraseError extends EngineError {
  readonly code = 'WrongPassphrase';
  constructor(options?: { cause?: unknown }) {
    super('wrong passphrase: it does not open the repository key', options);
  }
}

/** A well-formed object of a format this agent does not know (another magic, a newer version, an unknown algorithm). */
export class UnsupportedFormatError extends EngineError {
  readonly code = 'UnsupportedFormat';
  constructor(
    readonly object: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${object}: ${message}`, options);
  }
}

/** A path that cannot be stored or restored safely (relative where absolute is needed, escaping the target, …). */
export class UnsafePathError extends EngineError {
  readonly code = 'UnsafePath';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${JSON.stringify(path)}: ${message}`, options);
  }
}

/** A caller passed arguments outside what the engine accepts (chunker sizes, pack target, scrypt cost…). */
export class InvalidArgumentError extends EngineError {
  readonly code = 'InvalidArgument';
}
