/**
 * How the console finds its API and signs staff in: `config.json` beside `index.html`, written by
 * `console/build.ts` (locally) or the CDK deployment (AWS). No DOM here, so the Node-side build can
 * import the same type.
 */
type ConsoleConfig =
  | { readonly mode: 'local'; readonly apiUrl: string }
  | {
      readonly mode: 'cognito';
      readonly apiUrl: string;
      /** Hosted UI / managed login base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
      readonly authUrl: string;
      readonly clientId: string;
    };

export type { ConsoleConfig };
