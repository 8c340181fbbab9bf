// Catches a page that throws while rendering and shows a plain message in its place, so one
// page's bad data never blanks the whole dashboard. Each page is wrapped in one (pages/SiteArea,
// main.tsx) with its path as resetKey: moving to another page starts clean.
import { Component, type ComponentChildren } from "preact";
import { Button } from "./ui";

export class PageErrorBoundary extends Component<{ children: ComponentChildren; resetKey: string }, { failed: boolean }> {
  override state = { failed: false };
  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }
  override componentDidCatch(error: unknown) {
    // Thenables are lazy routes loading; the router handles those.
    if (error && typeof (error as Promise<unknown>).then === "function") throw error;
    // The detail is for developers (devtools); the page says what a person can do.
    console.error("Herald: this page failed to render", error);
    this.setState({ failed: true });
  }
  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div class="page">
        <div class="state state-error" role="alert">
          <div class="state-icon" aria-hidden="true">!</div>
          <h3>This page could not be shown</h3>
          <p>Something in its data was not what Herald expected. Reloading may help; the other pages still work.</p>
          <div class="state-actions">
            <Button variant="primary" onClick={() => location.reload()}>Reload</Button>
            <Button onClick={() => history.back()}>Go back</Button>
          </div>
        </div>
      </div>
    );
  }
}
