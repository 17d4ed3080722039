// Tests never reach AWS: fixed local credentials and region, and Powertools logs kept quiet unless asked.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_DEV ??= 'false';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'InstagramPolicyGuard';
process.env.POWERTOOLS_SERVICE_NAME ??= 'instagram-policy-guard';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
