/** The most a step accepts per file (the contract's limit), checked before the bytes are sent. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type AttachmentInput = { name: string; mediaType: string; contentBase64: string };

/** Reads picked files into the contract's attachment shape; a file over the limit is refused by name. */
export async function readAttachments(files: readonly File[]): Promise<AttachmentInput[]> {
  const tooBig = files.find((file) => file.size > MAX_ATTACHMENT_BYTES);
  if (tooBig) {
    throw new RangeError(tooBig.name);
  }
  return Promise.all(
    files.map(async (file) => ({
      name: file.name,
      mediaType: file.type || 'application/octet-stream',
      contentBase64: toBase64(new Uint8Array(await file.arrayBuffer())),
    })),
  );
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
