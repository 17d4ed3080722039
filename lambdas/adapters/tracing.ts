import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray subsegments for every AWS SDK call of a deployed function (the functions run with active
 * tracing): each client a handler builds goes through `traced` once, at cold start. Outside Lambda
 * (tests, the local runtime) Powertools Tracer is disabled and hands the client back untouched.
 */
const tracer = new Tracer();

const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);

export { traced, tracer };
