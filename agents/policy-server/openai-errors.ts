/**
 * Errors in the OpenAI API's shape: an HTTP status and
 * `{"error": {"message", "type", "param", "code"}}`, so OpenAI clients raise their usual exceptions
 * (BadRequestError, NotFoundError, ...) with the message.
 * @module
 */

export type OpenAiErrorType = 'invalid_request_error' | 'authentication_error' | 'not_found_error' | 'server_error' | 'service_unavailable' | 'requests';

export class OpenAiHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAiErrorType = 'invalid_request_error',
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'OpenAiHttpError';
  }

  /** The response body. */
  body(): { error: { message: string; type: OpenAiErrorType; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null) => new OpenAiHttpError(400, message, 'invalid_request_error', code, param);
