import { App } from 'aws-cdk-lib';
import {
  actionsEnabledFromContext,
  buildPipeline,
  keyAdminArnsFromContext,
  operationsSettingsFromContext,
  policyPackFromContext,
} from '../lib/pipeline-app';

const app = new App();
const keyAdminArns = keyAdminArnsFromContext(app);
buildPipeline(app, {
  actionsEnabled: actionsEnabledFromContext(app),
  policyPack: policyPackFromContext(app),
  operations: operationsSettingsFromContext(app),
  ...(keyAdminArns ? { keyAdminArns } : {}),
});
app.synth();
