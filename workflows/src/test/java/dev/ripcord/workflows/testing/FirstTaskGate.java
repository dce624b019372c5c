package dev.ripcord.workflows.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A gate in front of the worker's polls of the normal workflow task queue, as if every worker were down for new runs:
 * while it is closed, a run's first workflow task (a new release, or a run that continued as new) waits on the server
 * and whatever is sent meanwhile is in the history before it, the moment "right after a continue-as-new" made
 * deterministic. Runs already cached by the worker go on through its sticky queue. Closing cancels the polls already
 * waiting on the server (the worker backs off and polls again, which waits here until the gate opens).
 */
public final class FirstTaskGate implements ClientInterceptor {
  private final Set<ClientCall<?, ?>> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A gate open from the start. */
  public FirstTaskGate() {
    this(false);
  }

  /** @param closed closed from the start: not even a new release's first task is polled until {@link #open} */
  public FirstTaskGate(boolean closed) {
    this.closed = closed;
  }

  /** Closes the gate and returns once every poll already waiting on the server has been cancelled and closed. */
  public void close() {
    synchronized (this) {
      closed = true;
      waiting.forEach(c -> c.cancel("first-task gate closed", null));
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!waiting.isEmpty() && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    if (!waiting.isEmpty()) {
      throw new AssertionError(waiting.size() + " polls still open 10 s after the gate closed");
    }
  }

  public synchronized void open() {
    closed = false;
    notifyAll();
  }

  /**
   * Waits until the gate is open, then counts {@code call} among the polls a later {@link #close} cancels; one step
   * under the gate's lock, so no poll slips past a closing gate uncounted.
   */
  private synchronized void admit(ClientCall<?, ?> call) {
    while (closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    waiting.add(call);
  }

  @Override
  public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
    ClientCall<Q, A> call = next.newCall(method, options);
    if (!method.getFullMethodName().equals(WorkflowServiceGrpc.getPollWorkflowTaskQueueMethod().getFullMethodName())) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      private boolean normal = true;

      @Override
      public void start(Listener<A> listener, Metadata headers) {
        super.start(new io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(io.grpc.Status status, Metadata trailers) {
            waiting.remove(call);
            super.onClose(status, trailers);
          }
        }, headers);
      }

      @Override
      public void sendMessage(Q message) {
        normal = !(message instanceof PollWorkflowTaskQueueRequest r)
            || r.getTaskQueue().getKind() != TaskQueueKind.TASK_QUEUE_KIND_STICKY;
        if (normal) {
          admit(call); // on the worker's poller thread: the poll is sent once the gate opens
        }
        super.sendMessage(message);
      }
    };
  }
}
