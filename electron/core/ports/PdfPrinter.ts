/** Prints an HTML page to PDF bytes; filled by the face that has a browser engine. */
export type PdfPrinter = { printHtmlToPdf(html: string): Promise<Uint8Array> };
