/** Where the local server serves data-subject requests (`npm run data-request` posts here). */
const DATA_REQUESTS_PREFIX = '/api/data-requests';

export { DATA_REQUESTS_PREFIX };
