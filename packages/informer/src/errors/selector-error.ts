import { errorMarker, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('informer.SelectorError');

/** A label selector that does not parse or validate; the message quotes the selector and says what was expected. */
export class SelectorError extends KgoError {
  override name = 'SelectorError';
  /** The selector text (or a rendering of the LabelSelector object) that was refused. */
  readonly selector: string;
  readonly [marker] = true;

  constructor(selector: string, reason: string) {
    super(`invalid label selector ${JSON.stringify(selector)}: ${reason}`);
    this.selector = selector;
  }

  /** True for a SelectorError from any copy of @kgo/informer. */
  static override isInstance(error: unknown): error is SelectorError {
    return hasErrorMarker(error, marker);
  }
}
