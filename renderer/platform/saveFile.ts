/** Hands a file to the browser's (or Electron's) download. */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A PDF the core sent as base64, downloaded. */
export function savePdf(pdf: { contentBase64: string; mediaType: string; fileName: string }): void {
  const bytes = Uint8Array.from(atob(pdf.contentBase64), (char) => char.charCodeAt(0));
  saveFile(new Blob([bytes], { type: pdf.mediaType }), pdf.fileName);
}
