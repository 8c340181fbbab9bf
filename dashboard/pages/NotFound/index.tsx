// Any path no route claims.
import { Empty, PageHeader } from "../../components/ui";

export default function NotFound() {
  return (
    <div class="page">
      <PageHeader title="Page not found" />
      <Empty title="There is nothing here" action={<a class="btn btn-primary btn-md" href="/">Go to your sites</a>}>
        The link may be old, or the page was moved.
      </Empty>
    </div>
  );
}
