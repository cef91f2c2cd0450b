// The one error the pure model throws: the user's input names something that is not there (a DaemonSet,
// a node) or cannot be evaluated as asked. It carries no exit code; main() maps it to exit 2 (usage).

export class InputError extends Error {
  override readonly name = 'InputError';
}
