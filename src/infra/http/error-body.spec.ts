import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { ApiError, toErrorBody } from './error-body';

describe('toErrorBody', () => {
  it('hides everything about an unexpected failure', () => {
    const body = toErrorBody(
      new TypeError("Cannot read properties of undefined (reading 'secret') at /app/dist/x.js:10"),
    );
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
  });

  it('keeps the message of HTTP errors and the details of validation errors', () => {
    expect(toErrorBody(new NotFoundException('Region 520628999999 not found'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Region 520628999999 not found',
    });
    expect(toErrorBody(new ForbiddenException()).statusCode).toBe(403);
    const details = [{ path: 'body.volume', message: 'Too big' }];
    expect(toErrorBody(new ApiError(400, 'Invalid request', details))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid request',
      details,
    });
  });

  it("passes on the framework's own 4xx (body too large) but not its 5xx", () => {
    expect(
      toErrorBody(
        Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }),
      ),
    ).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is too large',
    });
    expect(toErrorBody(Object.assign(new Error('internal detail'), { statusCode: 500 })).message).toBe(
      'Internal server error',
    );
  });
});
