import type { ResultCode } from './codes';

/** A package refused: the ResultCode the sender is answered with, and a reason a person can act on (ResultDesc). */
export class EbdRejected extends Error {
  constructor(
    readonly resultCode: Exclude<ResultCode, 1>,
    message: string,
  ) {
    super(message);
    this.name = 'EbdRejected';
  }
}

export const refuse = (resultCode: Exclude<ResultCode, 1>, reason: string): never => {
  throw new EbdRejected(resultCode, reason);
};

// Values from a package are quoted back in reasons, never at length.
export const quote = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
