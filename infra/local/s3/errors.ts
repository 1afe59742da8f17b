/**
 * S3 error codes this server emits, with the HTTP status S3 gives each one.
 * A handler throws an S3Error; the router turns it into the XML body S3 sends.
 */
const STATUS_BY_CODE = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidURI: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchUpload: 404,
  NoSuchVersion: 404,
  NotImplemented: 501,
  NotModified: 304,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  SlowDown: 503,
  XAmzContentSHA256Mismatch: 400,
} as const;

export type S3ErrorCode = keyof typeof STATUS_BY_CODE;

export class S3Error extends Error {
  readonly status: number;

  constructor(
    readonly code: S3ErrorCode,
    message: string,
    /** Extra response headers, e.g. x-amz-delete-marker on a 404 for a deleted key. */
    readonly headers: Record<string, string> = {},
    /** Extra child elements of <Error>, e.g. <Key> or <VersionId>. */
    readonly details: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = code;
    this.status = STATUS_BY_CODE[code];
  }
}

export const noSuchBucket = (bucket: string): S3Error =>
  new S3Error('NoSuchBucket', 'The specified bucket does not exist', {}, { BucketName: bucket });

export const noSuchKey = (key: string, headers: Record<string, string> = {}): S3Error =>
  new S3Error('NoSuchKey', 'The specified key does not exist.', headers, { Key: key });

export const noSuchVersion = (key: string, versionId: string): S3Error =>
  new S3Error('NoSuchVersion', 'The specified version does not exist.', {}, { Key: key, VersionId: versionId });

export const noSuchUpload = (uploadId: string): S3Error =>
  new S3Error(
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    {},
    { UploadId: uploadId },
  );

export const invalidArgument = (message: string, name?: string, value?: string): S3Error =>
  new S3Error(
    'InvalidArgument',
    message,
    {},
    name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' },
  );

export const malformedXml = (cause?: unknown): S3Error =>
  new S3Error(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    {},
    {},
    { cause },
  );
