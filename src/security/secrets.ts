// Secrets at rest: AES-256-GCM with a key from TANDEM_SECRET_KEY or a generated key file (owner-only) beside
// the database. Sealed values carry a version prefix so the key or algorithm can change later.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const PREFIX = "v1:";

export class SecretBox {
  private key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("The secret key must be 32 bytes (AES-256).");
    this.key = key;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
  }

  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error("Unknown secret format: it was not sealed by this version of Tandem.");
    const raw = Buffer.from(sealed.slice(PREFIX.length), "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    } catch {
      throw new Error("A stored secret could not be decrypted: TANDEM_SECRET_KEY (or the key file) is not the key it was sealed with.");
    }
  }

  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }
}

/**
 * The key: TANDEM_SECRET_KEY (any string; hashed to 32 bytes, or 64 hex characters used as is), otherwise the
 * key file, created on first start with mode 0600.
 */
export function loadSecretKey(keyFile: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.TANDEM_SECRET_KEY;
  if (fromEnv) return /^[0-9a-f]{64}$/i.test(fromEnv) ? Buffer.from(fromEnv, "hex") : createHash("sha256").update(fromEnv).digest();
  if (existsSync(keyFile)) return Buffer.from(readFileSync(keyFile, "utf8").trim(), "hex");
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(keyFile, key.toString("hex"), { mode: 0o600, flag: "wx" });
  chmodSync(keyFile, 0o600);
  return key;
}
