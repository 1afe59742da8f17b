// A data set worker (see parallel.ts): takes the pools the main thread built, then writes the tasks it is handed,
// one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { Pools } from './content';
import { TreeWriter } from './generate';
import type { FromWorker, ToWorker, WorkerInput } from './parallel';

const { root, plan } = workerData as WorkerInput;
const pools = new Pools(plan.seed);
const writer = new TreeWriter(root, plan, pools, plan.dirs);
const port = parentPort!;
const answer = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'pools':
      pools.adopt(message.shared);
      break;
    case 'database':
      writer.writeDatabase(Array.from({ length: message.to - message.from }, (_, i) => message.from + i), 0);
      break;
    case 'files':
      for (const id of message.ids) writer.writeFile(plan.files[id]!, 0);
      break;
  }
  answer({ type: 'done' });
});
