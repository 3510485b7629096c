// The sandbox signs webhook bodies as Jira does (the signature format lives with Tandem's Jira module).
export { SIGNATURE_HEADER, signWebhookBody as signBody, verifyWebhookSignature as verifySignature } from "../../jira/webhook-signature.ts";
