// How a CAP document is refused: one error type, with a reason a person can act on.

/** Thrown for anything that is not a well-formed, valid CAP 1.2 alert; message is a human reason naming the field/rule. */
export class CapRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapRejected';
  }
}

export const reject = (reason: string): never => {
  throw new CapRejected(reason);
};
// Values from the document are quoted back in reasons, never at length.
export const clip = (text: string, length: number): string =>
  text.length > length ? `${text.slice(0, length)}…` : text;
export const quote = (text: string): string => JSON.stringify(clip(text, 60));
