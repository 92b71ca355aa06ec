package io.gamestate.query.service;

import io.gamestate.proto.query.v1.SubtreeEntry;
import io.gamestate.proto.query.v1.SubtreePage;
import io.gamestate.proto.query.v1.SubtreeQuery;
import io.gamestate.query.config.QueryConfig;
import io.gamestate.query.repository.EntityRepository;
import io.gamestate.query.repository.EntityRepository.SubtreeRow;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Hierarchies under an entity (inventories, guilds), breadth-first with keyset paging. */
@ApplicationScoped
public class HierarchyQueries {

    static final int DEFAULT_PAGE_SIZE = 100;

    private final EntityRepository entities;
    private final QueryConfig.Query limits;

    public HierarchyQueries(EntityRepository entities, QueryConfig config) {
        this.entities = entities;
        this.limits = config.query();
    }

    /** Where a page ends: the (depth, id) of its last entry. */
    record Keyset(int depth, long id) {
        static final Keyset START = new Keyset(-1, 0);

        String token() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((depth + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Keyset of(String token) {
            if (token.isEmpty()) {
                return START;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
                Keyset k = new Keyset(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                if (parts.length == 2 && k.depth >= 0 && k.id > 0) {
                    return k;
                }
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                // falls through to the refusal below
            }
            throw Statuses.invalid("page_token is not a token this service issued");
        }
    }

    public Uni<SubtreePage> subtree(SubtreeQuery q) {
        if (q.getRootId() <= 0) {
            throw Statuses.invalid("root_id must be positive, got " + q.getRootId());
        }
        int maxDepthCap = limits.maxSubtreeDepth();
        if (q.getMaxDepth() < 0 || q.getMaxDepth() > maxDepthCap) {
            throw Statuses.invalid("max_depth must be between 0 and gamestate.query.max-subtree-depth ("
                    + maxDepthCap + "), got " + q.getMaxDepth());
        }
        if (q.getPageSize() < 0 || q.getPageSize() > limits.maxPageSize()) {
            throw Statuses.invalid("page_size must be between 0 and gamestate.query.max-page-size ("
                    + limits.maxPageSize() + "), got " + q.getPageSize());
        }
        int maxDepth = q.getMaxDepth() == 0 ? maxDepthCap : q.getMaxDepth();
        int pageSize = q.getPageSize() == 0 ? Math.min(DEFAULT_PAGE_SIZE, limits.maxPageSize()) : q.getPageSize();
        Keyset after = Keyset.of(q.getPageToken());
        return entities.subtreePage(q.getRootId(), maxDepth, after.depth(), after.id(), pageSize + 1).map(rows -> {
            // The root is the first row of the first page: none means there is no such entity.
            if (rows.isEmpty() && after == Keyset.START) {
                throw Statuses.notFound("entity " + q.getRootId() + " does not exist");
            }
            List<SubtreeRow> page = rows.size() > pageSize ? rows.subList(0, pageSize) : rows;
            SubtreePage.Builder b = SubtreePage.newBuilder();
            page.forEach(r -> b.addEntries(SubtreeEntry.newBuilder().setEntity(r.entity()).setDepth(r.depth())));
            if (rows.size() > pageSize) {
                SubtreeRow last = page.get(page.size() - 1);
                b.setNextPageToken(new Keyset(last.depth(), last.entity().getId()).token());
            }
            return b.build();
        });
    }
}
