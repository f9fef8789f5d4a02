// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {TimeSlotNFT} from "./TimeSlotNFT.sol";

/// @title Resale of time-slot NFTs for BerkeleyToken, wallet to wallet, with no fee
/// @notice A holder lists a slot at a price in token base units (after
///         `TimeSlotNFT.setApprovalForAll(SlotMarket, true)`); the slot stays in the holder's wallet
///         until it is sold. `buy` pays the whole price (tokens buyer -> seller with the buyer's
///         allowance) and moves the slot seller -> buyer in one transaction. `buyPart` takes a
///         sub-window (whole hours) and/or fewer GPUs of a listed RESERVED slot: the market splits
///         the slot through TimeSlotNFT as the seller's approved operator, sells the piece and lists
///         the rest under the new pieces' ids at the same rate.
///
///         Rounding of a part: it costs ceil(price * g / G), where g is the part's GPU-seconds and G
///         the listed slot's: the buyer pays the odd base unit, so a seller never receives less than
///         the listing's rate. The rest (price minus what was paid) is shared among the remaining
///         pieces in proportion to their GPU-seconds, rounded down, the last piece taking what is
///         left: the prices of all pieces always add up to the listing's price. A remaining piece
///         whose share is zero is not listed.
///
///         A listing whose seller no longer holds the slot (it moved or was burned) is stale: buying
///         it reverts; its seller or the slot's new holder may cancel it, and listing again replaces it.
contract SlotMarket is ReentrancyGuard {
    using SafeERC20 for IERC20;

    struct Listing {
        address seller;
        uint256 price;
    }

    IERC20 public immutable token;
    TimeSlotNFT public immutable slots;
    mapping(uint256 => Listing) private listings;

    event Listed(uint256 indexed tokenId, address indexed seller, uint256 price);
    event ListingCancelled(uint256 indexed tokenId, address indexed seller);
    /// @notice `pieceId` (the listed slot itself for `buy`, a split-off piece for `buyPart`) went from
    ///         `seller` to `buyer` for `price` base units; the listing of `listedId` ended.
    event Sold(uint256 indexed listedId, uint256 indexed pieceId, address indexed buyer, address seller, uint256 price);

    error NotHolder(uint256 tokenId);
    error NotApproved();
    error ZeroPrice();
    error NotListed(uint256 tokenId);
    error StaleListing(uint256 tokenId);
    error NotSeller(uint256 tokenId);
    error OwnListing(uint256 tokenId);
    error PriceAbove(uint256 price, uint256 maxPrice);
    error NotReserved(uint256 tokenId);
    error PartOutsideSlot(uint64 start, uint64 end);
    error InvalidGpuCount(uint32 gpuCount);

    constructor(IERC20 token_, TimeSlotNFT slots_) {
        token = token_;
        slots = slots_;
    }

    /// @notice Lists (or lists again, at a new price) a slot the caller holds.
    function list(uint256 tokenId, uint256 price) external {
        if (slots.ownerOf(tokenId) != msg.sender) revert NotHolder(tokenId);
        if (!slots.isApprovedForAll(msg.sender, address(this))) revert NotApproved();
        if (price == 0) revert ZeroPrice();
        _list(tokenId, msg.sender, price);
    }

    /// @notice Ends a listing: its seller may, and so may whoever holds the slot now (a stale listing).
    function cancel(uint256 tokenId) external {
        Listing memory l = listings[tokenId];
        if (l.seller == address(0)) revert NotListed(tokenId);
        if (msg.sender != l.seller && msg.sender != _holder(tokenId)) revert NotSeller(tokenId);
        delete listings[tokenId];
        emit ListingCancelled(tokenId, l.seller);
    }

    /// @notice The listing of a slot: its seller (zero when not listed) and price.
    function listingOf(uint256 tokenId) external view returns (address seller, uint256 price) {
        Listing memory l = listings[tokenId];
        return (l.seller, l.price);
    }

    /// @notice Buys the whole listed slot for its price, if that is at most `maxPrice`.
    function buy(uint256 tokenId, uint256 maxPrice) external nonReentrant {
        Listing memory l = _live(tokenId);
        if (l.price > maxPrice) revert PriceAbove(l.price, maxPrice);
        delete listings[tokenId];
        _sell(tokenId, tokenId, l.seller, l.price);
    }

    /// @notice Buys `gpuCount` GPUs over [start, end) of a listed RESERVED slot at the listing's rate
    ///         (see the rounding above), if that costs at most `maxPrice`; returns the piece's id.
    function buyPart(uint256 tokenId, uint64 start, uint64 end, uint32 gpuCount, uint256 maxPrice)
        external
        nonReentrant
        returns (uint256 piece)
    {
        Listing memory l = _live(tokenId);
        (, uint32 gpus, uint64 s, uint64 e, TimeSlotNFT.Kind kind) = slots.slotOf(tokenId);
        if (kind != TimeSlotNFT.Kind.RESERVED) revert NotReserved(tokenId);
        if (start < s || end > e || start >= end) revert PartOutsideSlot(start, end);
        if (gpuCount == 0 || gpuCount > gpus) revert InvalidGpuCount(gpuCount);
        uint256 whole = uint256(gpus) * (e - s);
        uint256 part = uint256(gpuCount) * (end - start);
        uint256 cost = Math.mulDiv(l.price, part, whole, Math.Rounding.Ceil); // the buyer pays the odd unit
        if (cost > maxPrice) revert PriceAbove(cost, maxPrice);
        delete listings[tokenId];

        // cut the slot: [s, start) | [start, end) | [end, e), then the part's GPUs off the middle
        uint256[3] memory rest;
        uint256 n;
        uint256 other;
        piece = tokenId;
        if (start > s) {
            (other, piece) = slots.splitAt(piece, start);
            rest[n++] = other;
        }
        if (end < e) {
            (piece, other) = slots.splitAt(piece, end);
            rest[n++] = other;
        }
        if (gpuCount < gpus) {
            (piece, other) = slots.splitByCount(piece, gpuCount);
            rest[n++] = other;
        }
        _sell(tokenId, piece, l.seller, cost);
        _relist(rest, n, l.seller, l.price - cost, whole - part);
    }

    // --- internals

    function _list(uint256 tokenId, address seller, uint256 price) private {
        listings[tokenId] = Listing(seller, price);
        emit Listed(tokenId, seller, price);
    }

    /// @dev The listing, which must exist and whose seller must still hold the slot.
    function _live(uint256 tokenId) private view returns (Listing memory l) {
        l = listings[tokenId];
        if (l.seller == address(0)) revert NotListed(tokenId);
        if (_holder(tokenId) != l.seller) revert StaleListing(tokenId);
        if (msg.sender == l.seller) revert OwnListing(tokenId);
    }

    function _sell(uint256 listedId, uint256 piece, address seller, uint256 price) private {
        token.safeTransferFrom(msg.sender, seller, price);
        slots.safeTransferFrom(seller, msg.sender, piece);
        emit Sold(listedId, piece, msg.sender, seller, price);
    }

    /// @dev Lists the remaining pieces at `left` base units in all, in proportion to their GPU-seconds.
    function _relist(uint256[3] memory rest, uint256 n, address seller, uint256 left, uint256 gpuSeconds) private {
        uint256 given;
        for (uint256 i = 0; i < n; i++) {
            uint256 share;
            if (i == n - 1) {
                share = left - given;
            } else {
                (, uint32 gpus, uint64 s, uint64 e,) = slots.slotOf(rest[i]);
                share = Math.mulDiv(left, uint256(gpus) * (e - s), gpuSeconds);
            }
            given += share;
            if (share > 0) {
                _list(rest[i], seller, share);
            }
        }
    }

    /// @dev The slot's holder, or zero when it does not exist (burned by a split or merge).
    function _holder(uint256 tokenId) private view returns (address) {
        try slots.ownerOf(tokenId) returns (address holder) {
            return holder;
        } catch {
            return address(0);
        }
    }
}
