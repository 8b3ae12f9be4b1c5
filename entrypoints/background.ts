export default defineBackground(() => {
  // wiring lands with lib/messaging
});
