import { App } from 'aws-cdk-lib';
import {
  actionsEnabledFromContext,
  buildPipeline,
  policyPackFromContext,
} from '../lib/pipeline-app';

const app = new App();
buildPipeline(app, {
  actionsEnabled: actionsEnabledFromContext(app),
  policyPack: policyPackFromContext(app),
});
app.synth();
