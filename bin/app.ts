import { App } from 'aws-cdk-lib';
import { actionsEnabledFromContext, buildPipeline } from '../lib/pipeline-app';

const app = new App();
buildPipeline(app, { actionsEnabled: actionsEnabledFromContext(app) });
app.synth();
