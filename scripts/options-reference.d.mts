/** The README's configuration reference, rendered from the option interfaces' TSDoc. */
export interface OptionsReference {
  markdown: string;
  /** Options without a description, or optional without `@default`. */
  problems: string[];
}
export declare const START: string;
export declare const END: string;
export declare function renderOptionsReference(root?: string): OptionsReference;
export declare function updatedReadme(readme: string, markdown: string): string;
