// Jira's webhook signature (WebSub style): `X-Hub-Signature: <method>=<hex HMAC of the raw body>`, sha256 today.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Hub-Signature";

export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** Constant-time check; the method prefix is read, not assumed, as Atlassian advises. */
export function verifyWebhookSignature(secret: string, body: string, header: string | null | undefined): boolean {
  const match = /^(sha256|sha1|sha512)=([0-9a-f]+)$/i.exec(header?.trim() ?? "");
  if (!match) return false;
  const expected = createHmac(match[1]!.toLowerCase(), secret).update(body, "utf8").digest();
  const received = Buffer.from(match[2]!, "hex");
  return expected.length === received.length && timingSafeEqual(expected, received);
}
