// The load side of the HTTP benchmark in a process of its own (forked by http-load.ts): the
// figures are then the server's, not those of a bench process whose heap has just held a
// million-event state and whose garbage collector would delay autocannon's own timings.
import { type LoadOptions, loadAssess } from './http-load.ts';

process.once('message', (options: LoadOptions) => {
  void loadAssess(options).then((figures) => process.send?.(figures, () => process.exit(0)));
});
