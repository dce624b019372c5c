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

  public synchronized void close() {
    closed = true;
    waiting.forEach(c -> c.cancel("first-task gate closed", null));
  }

  public synchronized void open() {
    closed = false;
    notifyAll();
  }

  private synchronized void awaitOpen() {
    while (closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
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
            waiting.remove(delegate());
            super.onClose(status, trailers);
          }
        }, headers);
      }

      @Override
      public void sendMessage(Q message) {
        normal = !(message instanceof PollWorkflowTaskQueueRequest r)
            || r.getTaskQueue().getKind() != TaskQueueKind.TASK_QUEUE_KIND_STICKY;
        if (normal) {
          awaitOpen(); // on the worker's poller thread: the poll is sent once the gate opens
          waiting.add(delegate());
        }
        super.sendMessage(message);
      }
    };
  }
}
