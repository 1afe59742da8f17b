import { SingleBar } from 'cli-progress';
import type { Progress, Reporter } from './events';
import { bytes, duration, rate } from './format';

type Write = (line: string) => void;

/** JSON lines on stdout for scripts: every event, progress at most once a second. */
export function jsonReporter(write: Write, now: () => number = Date.now): Reporter {
  let lastProgress = 0;
  return {
    report(event) {
      if (event.type === 'progress') {
        if (now() - lastProgress < 1000) return;
        lastProgress = now();
      }
      write(JSON.stringify(event.type === 'summary' ? { type: 'summary', ...event.summary } : event));
    },
    close: () => undefined,
  };
}

const progressLine = (p: Progress, elapsedMs: number): string => {
  const total = p.counting ? `${bytes(p.bytesTotal)}+` : bytes(p.bytesTotal);
  const speed = rate(p.bytesDone, elapsedMs);
  const eta = !p.counting && p.bytesDone > 0 && p.bytesTotal > p.bytesDone ? ` ETA ${duration(((p.bytesTotal - p.bytesDone) * elapsedMs) / p.bytesDone)}` : '';
  return `${p.phase}: ${p.filesDone}/${p.filesTotal}${p.counting ? '+' : ''} files, ${bytes(p.bytesDone)}/${total}, ${speed}, ${bytes(p.bytesTransferred)} transferred${eta}`;
};

/** Plain log lines (not a terminal: a service log, a pipe): progress every 10 seconds, problems and retries as they come. */
export function plainReporter(write: Write, now: () => number = Date.now): Reporter {
  const started = now();
  let lastProgress = started;
  return {
    report(event) {
      switch (event.type) {
        case 'progress':
          if (now() - lastProgress >= 10_000) {
            lastProgress = now();
            write(progressLine(event.progress, now() - started));
          }
          break;
        case 'message':
          write(event.level === 'warning' ? `warning: ${event.text}` : event.text);
          break;
        case 'retry':
          write(`retrying ${event.what} in ${duration(event.waitMs)} (attempt ${event.attempt + 1}): ${event.reason}`);
          break;
        case 'problem':
          write(`${event.problem.kind}: ${event.problem.path}: ${event.problem.message}`);
          break;
        case 'summary':
          for (const line of event.lines) write(line);
          break;
      }
    },
    close: () => undefined,
  };
}

/** A progress bar on a terminal (files, bytes, rate, ETA); messages print above it. */
export function terminalReporter(stream: NodeJS.WriteStream, now: () => number = Date.now): Reporter {
  const started = now();
  const bar = new SingleBar(
    {
      stream,
      format: '{phase} [{bar}] {percentage}% | {files} files | {done}/{total} | {speed} | ETA {eta_text}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      fps: 8,
      etaBuffer: 50,
    },
    undefined,
  );
  let running = false;
  const print = (line: string) => {
    if (running) bar.stop();
    stream.write(`${line}\n`);
    running = false;
  };
  return {
    report(event) {
      switch (event.type) {
        case 'progress': {
          const p = event.progress;
          const elapsed = now() - started;
          const payload = {
            phase: p.phase,
            files: `${p.filesDone}/${p.filesTotal}${p.counting ? '+' : ''}`,
            done: bytes(p.bytesDone),
            total: p.counting ? `${bytes(p.bytesTotal)}+` : bytes(p.bytesTotal),
            speed: rate(p.bytesDone, elapsed),
            eta_text: !p.counting && p.bytesDone > 0 && p.bytesTotal > p.bytesDone ? duration(((p.bytesTotal - p.bytesDone) * elapsed) / p.bytesDone) : '-',
          };
          if (!running) {
            bar.start(Math.max(1, p.bytesTotal), p.bytesDone, payload);
            running = true;
          } else {
            bar.setTotal(Math.max(1, p.bytesTotal));
            bar.update(p.bytesDone, payload);
          }
          break;
        }
        case 'message':
          print(event.level === 'warning' ? `warning: ${event.text}` : event.text);
          break;
        case 'retry':
          print(`retrying ${event.what} in ${duration(event.waitMs)}: ${event.reason}`);
          break;
        case 'problem':
          print(`${event.problem.kind}: ${event.problem.path}: ${event.problem.message}`);
          break;
        case 'summary':
          if (running) bar.stop();
          running = false;
          for (const line of event.lines) stream.write(`${line}\n`);
          break;
      }
    },
    close() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** The reporter a command gets: JSON when asked, a bar on a terminal, log lines otherwise. */
export function reporterFor(options: { json: boolean }, stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): Reporter {
  if (options.json) return jsonReporter((line) => stdout.write(`${line}\n`));
  if (stderr.isTTY) return terminalReporter(stderr);
  return plainReporter((line) => stderr.write(`${line}\n`));
}
