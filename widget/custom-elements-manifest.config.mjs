// `npm run build` writes dist/custom-elements.json from the element's JSDoc, for editors and
// frameworks (package.json "customElements").
export default {
  globs: ['widget/cohesion-declaration/cohesion-declaration.component.ts', 'widget/cohesion-declaration.ts'],
  outdir: 'dist',
  litelement: true,
  plugins: [
    {
      name: 'public-face-only',
      // Private state (`_name`) and the generic dispatch helper's parameter are not API.
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            declaration.attributes = declaration.attributes?.filter((a) => !a.name.startsWith('_'));
            declaration.members = declaration.members?.filter((m) => !m.name.startsWith('_') && m.privacy !== 'private');
            declaration.events = declaration.events?.filter((e) => e.name.startsWith('cohesion-'));
          }
        }
      },
    },
  ],
};
