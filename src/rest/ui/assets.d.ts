// The dashboard's stylesheet, imported as text (`with { type: "text" }`) so that it is part of any bundle.
declare module "*.css" {
  const text: string;
  export default text;
}
